from django.db import migrations

from stats.reference import grant_group_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0007_import_batch_cancelled"),
        ("regions", "0002_seed_regions"),
        ("awards", "0002_audit_setup_changed"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant_group_permissions, migrations.RunPython.noop)]
