from django.db import migrations


def grant(apps, schema_editor):
    from stats.reference import seed_group_permissions

    seed_group_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"),
                           apps.get_model("contenttypes", "ContentType"), apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0007_import_batch_cancelled"),
        ("regions", "0002_seed_regions"),
        ("awards", "0002_audit_setup_changed"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
