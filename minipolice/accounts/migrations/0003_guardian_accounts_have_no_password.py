"""Parents' accounts made before the rule (User.is_guardian_only) lose any usable password:
they sign in only by an emailed link into the parent portal."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import migrations


def remove_parent_passwords(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    staff_roles = RoleAssignment.objects.exclude(role="guardian").values("user_id")
    parents = (
        User.objects.filter(role_assignments__role="guardian", is_staff=False, is_superuser=False)
        .exclude(pk__in=staff_roles)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .distinct()
    )
    for user in parents:
        user.password = make_password(None)
        user.save(update_fields=["password"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(remove_parent_passwords, migrations.RunPython.noop)]
