"""A file-level failure that stops reading: becomes one error Problem."""


class ReadFailure(Exception):
    def __init__(self, code: str, key: str, **values: object) -> None:
        super().__init__(key)
        self.code = code
        self.key = key
        self.values = values
