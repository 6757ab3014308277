"""
On PostgreSQL a trigger refuses UPDATE and DELETE on the audit trail, so not even a
hand-written query can rewrite history. (SQLite, for development, relies on the model.)
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION loans_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'loans_loanevent is append-only';
END;
$$;
CREATE TRIGGER loans_event_append_only
    BEFORE UPDATE OR DELETE ON loans_loanevent
    FOR EACH ROW EXECUTE FUNCTION loans_event_append_only();
"""
DROP = """
DROP TRIGGER loans_event_append_only ON loans_loanevent;
DROP FUNCTION loans_event_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("loans", "0003_canonical_dni")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
