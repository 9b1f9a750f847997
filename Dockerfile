FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY exportregion exportregion
COPY regions regions
COPY stats stats
COPY awards awards
COPY dashboard dashboard
RUN pip install -e .
COPY . .
RUN PYTHON=python sh scripts/fetch_plotly.sh
RUN useradd --create-home app && mkdir -p /app/var && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "exportregion.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket"]
