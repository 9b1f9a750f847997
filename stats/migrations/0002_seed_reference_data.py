from django.db import migrations


def seed(apps, schema_editor):
    from stats.reference import seed_statistics

    seed_statistics(
        apps.get_model("stats", "Indicator"), apps.get_model("stats", "Source"), apps.get_model("stats", "CacheGeneration")
    )


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
