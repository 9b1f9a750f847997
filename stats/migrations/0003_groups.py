from django.db import migrations


def create_groups(apps, schema_editor):
    from stats.reference import seed_groups

    seed_groups(apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_seed_reference_data"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
