"""Every change of the generation row notifies the web processes' listeners (stats.generation_watch)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION stats_cachegeneration_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('exportregion_generation', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER stats_cachegeneration_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stats_cachegeneration
    FOR EACH STATEMENT EXECUTE FUNCTION stats_cachegeneration_notify();
"""
DROP = """
DROP TRIGGER IF EXISTS stats_cachegeneration_changed ON stats_cachegeneration;
DROP FUNCTION IF EXISTS stats_cachegeneration_notify();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("stats", "0009_subscription")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
