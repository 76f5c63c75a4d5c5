from django.db import migrations


def make_head(apps, schema_editor):
    apps.get_model("platform", "LedgerHead").objects.get_or_create(pk=1, defaults={"size": 0})


class Migration(migrations.Migration):
    dependencies = [("platform", "0001_initial")]
    operations = [migrations.RunPython(make_head, migrations.RunPython.noop)]
