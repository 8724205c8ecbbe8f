"""a unit's shared store: investigators, per-case access, notes and tags, watchlists

Portable tables for every store. On PostgreSQL also the access control that the
database itself enforces, so that it holds through plain ``psql`` as well:

- two group roles: ``wb_staff`` (investigators, supervisors, analysts: read and
  write) and ``wb_reader`` (reviewers: read only); ``workbench user add`` makes
  each investigator's own login role a member of one;
- row-level security on every table holding case data: a row is visible only to a
  login granted its case (``case_access``), writable only with a writing case
  role; a declared conflict takes the place of any grant; the schema owner (the
  unit's administrator, who runs migrations) sees everything, as owners do;
- ``audit_entries`` and ``annotations`` are append-only for everyone, the owner
  and superusers included: a trigger refuses UPDATE, DELETE and TRUNCATE;
- ``wb_cross_case_hits(case)``, a SECURITY DEFINER function, finds identifiers
  shared with other cases and names a hidden case's officer in charge, never its
  reference or content.

Revision ID: 0007_shared_store
Revises: 0006_identity_audit
"""
import sqlalchemy as sa
from alembic import op

from workbench.model.base import UTCDateTime

revision = '0007_shared_store'
down_revision = '0006_identity_audit'
branch_labels = None
depends_on = None

# Every table holding one case's rows directly (by case_id).
CASE_TABLES = (
    "people", "identifiers", "places", "engagements", "duty_shifts", "markers", "decisions",
    "lines_of_enquiry", "chart_positions", "exhibits", "events", "intel_reports", "complaints",
    "case_tags", "annotations", "event_links", "case_seals",
)
# Tables holding case rows through a parent: (table, parent table, column pointing at it).
CHILD_TABLES = (("marker_evidence", "markers", "marker_id"), ("continuity", "exhibits", "exhibit_id"))
APPEND_ONLY = ("audit_entries", "annotations")
HIT_KINDS = ("phone", "email", "facebook", "instagram", "snapchat", "whatsapp", "telegram",
             "signal", "police_record", "vehicle", "imei")


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by', sa.String(length=63), nullable=True))
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.create_index('ix_identifiers_kind_value', ['kind', 'value'], unique=False)
    op.create_table(
        'investigators',
        sa.Column('login', sa.String(length=63), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('added_at', UTCDateTime(), nullable=False),
        sa.Column('added_by', sa.String(length=63), nullable=False),
        sa.PrimaryKeyConstraint('login'),
    )
    op.create_table(
        'case_access',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('login', sa.String(length=63), nullable=False),
        sa.Column('access', sa.String(length=16), nullable=False),
        sa.Column('role', sa.String(length=24), nullable=True),
        sa.Column('by', sa.String(length=63), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'login'),
    )
    op.create_index('ix_case_access_case_id', 'case_access', ['case_id'])
    op.create_index('ix_case_access_login', 'case_access', ['login'])
    op.create_table(
        'case_tags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'name'),
    )
    op.create_index('ix_case_tags_case_id', 'case_tags', ['case_id'])
    op.create_table(
        'annotations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('thread', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('target_kind', sa.String(length=16), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('author', sa.String(length=63), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'thread', 'version'),
    )
    op.create_index('ix_annotations_target', 'annotations', ['case_id', 'target_kind', 'target_id'])
    op.create_table(
        'watchlist',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('value', sa.String(length=255), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('review_on', sa.Date(), nullable=False),
        sa.Column('owner', sa.String(length=63), nullable=False),
        sa.Column('added_at', UTCDateTime(), nullable=False),
        sa.Column('removed_at', UTCDateTime(), nullable=True),
        sa.Column('removed_by', sa.String(length=63), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_watchlist_kind_value', 'watchlist', ['kind', 'value'])
    op.create_table(
        'watch_alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('watch_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('owner', sa.String(length=63), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('value', sa.String(length=255), nullable=False),
        sa.Column('exhibit', sa.String(length=64), nullable=True),
        sa.Column('raised_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['watch_id'], ['watchlist.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_watch_alerts_case_id', 'watch_alerts', ['case_id'])
    op.create_index('ix_watch_alerts_owner', 'watch_alerts', ['owner'])
    if op.get_bind().dialect.name == "postgresql":
        for statement in postgres_access_control():
            op.execute(statement)


def postgres_access_control() -> list[str]:
    hit_kinds = ", ".join(f"'{kind}'" for kind in HIT_KINDS)
    statements = [
        # Group roles are cluster-wide: made once, by an owner allowed to make roles.
        """DO $$ BEGIN
          IF (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wb_staff') THEN
              CREATE ROLE wb_staff NOLOGIN; END IF;
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wb_reader') THEN
              CREATE ROLE wb_reader NOLOGIN; END IF;
          END IF; END $$""",
        """CREATE FUNCTION wb_is_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
          SET search_path = public AS $$
          SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
              OR pg_has_role(session_user, (SELECT tableowner FROM pg_tables
                                            WHERE schemaname = 'public' AND tablename = 'cases'),
                             'MEMBER') $$""",
        """CREATE FUNCTION wb_readable_cases() RETURNS SETOF integer LANGUAGE sql STABLE
          SECURITY DEFINER SET search_path = public AS $$
          SELECT case_id FROM case_access WHERE login = session_user AND access = 'grant'
          UNION SELECT id FROM cases WHERE wb_is_admin() $$""",
        """CREATE FUNCTION wb_writable_cases() RETURNS SETOF integer LANGUAGE sql STABLE
          SECURITY DEFINER SET search_path = public AS $$
          SELECT case_id FROM case_access WHERE login = session_user AND access = 'grant'
                 AND role <> 'reviewer'
          UNION SELECT id FROM cases WHERE wb_is_admin() $$""",
        """CREATE FUNCTION wb_managed_cases() RETURNS SETOF integer LANGUAGE sql STABLE
          SECURITY DEFINER SET search_path = public AS $$
          SELECT case_id FROM case_access WHERE login = session_user AND access = 'grant'
                 AND role IN ('officer_in_charge', 'supervisor')
          UNION SELECT id FROM cases WHERE wb_is_admin() $$""",
        """CREATE FUNCTION wb_unit_role() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
          SET search_path = public AS $$
          SELECT role FROM investigators WHERE login = session_user AND active $$""",
        # Whoever creates a case is its officer in charge (and may grant others access).
        """CREATE FUNCTION wb_case_created() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
          SET search_path = public AS $$ BEGIN
            IF TG_WHEN = 'BEFORE' THEN NEW.created_by := session_user; RETURN NEW; END IF;
            INSERT INTO case_access (case_id, login, access, role, by, at)
            VALUES (NEW.id, session_user, 'grant', 'officer_in_charge', session_user,
                    now() AT TIME ZONE 'UTC')
            ON CONFLICT DO NOTHING;
            RETURN NULL; END $$""",
        "CREATE TRIGGER cases_creator BEFORE INSERT ON cases FOR EACH ROW "
        "EXECUTE FUNCTION wb_case_created()",
        "CREATE TRIGGER cases_officer_in_charge AFTER INSERT ON cases FOR EACH ROW "
        "EXECUTE FUNCTION wb_case_created()",
        # The audit chain seals and signs a transaction's own entries as it commits
        # (workbench.audit): a row added by this very transaction may be completed, its
        # identity unchanged; no row of an earlier transaction ever changes.
        """CREATE FUNCTION wb_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_entries' THEN
              IF NEW.case_ref = OLD.case_ref AND NEW.sequence = OLD.sequence
                 AND NEW.at = OLD.at AND NEW."user" = OLD."user" AND NEW.action = OLD.action
                 AND NEW.details = OLD.details AND EXISTS (
                   SELECT 1 FROM audit_entries WHERE id = OLD.id
                   AND xmin::text = (txid_current() % 4294967296)::text) THEN
                RETURN NEW;
              END IF;
            END IF;
            RAISE EXCEPTION '% rows are never changed or deleted, only added (% refused)',
              TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege'; END $$""",
        # The cases table itself: its row is seen only with a grant (or by its creator
        # until the grant lands in the same statement).
        "ALTER TABLE cases ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY case_read ON cases FOR SELECT USING "
        "(id IN (SELECT wb_readable_cases()) OR created_by = session_user)",
        "CREATE POLICY case_create ON cases FOR INSERT WITH CHECK "
        "(wb_unit_role() IN ('investigator', 'supervisor', 'analyst') OR wb_is_admin())",
        "CREATE POLICY case_update ON cases FOR UPDATE USING (id IN (SELECT wb_writable_cases()))",
        "CREATE POLICY case_delete ON cases FOR DELETE USING (id IN (SELECT wb_managed_cases()))",
        "ALTER TABLE case_access ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY access_read ON case_access FOR SELECT USING "
        "(login = session_user OR case_id IN (SELECT wb_readable_cases()))",
        "CREATE POLICY access_manage ON case_access FOR ALL "
        "USING (case_id IN (SELECT wb_managed_cases())) "
        "WITH CHECK (case_id IN (SELECT wb_managed_cases()))",
        "ALTER TABLE audit_entries ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY audit_read ON audit_entries FOR SELECT USING "
        "(case_ref = '~unit' OR case_ref IN "
        " (SELECT ref FROM cases WHERE id IN (SELECT wb_readable_cases())))",
        "CREATE POLICY audit_append ON audit_entries FOR INSERT WITH CHECK "
        "(case_ref = '~unit' OR case_ref IN "
        " (SELECT ref FROM cases WHERE id IN (SELECT wb_writable_cases())))",
        # Sealing a transaction's own new entries at commit (wb_append_only allows no more).
        "CREATE POLICY audit_seal ON audit_entries FOR UPDATE USING "
        "(case_ref = '~unit' OR case_ref IN "
        " (SELECT ref FROM cases WHERE id IN (SELECT wb_writable_cases())))",
        "ALTER TABLE watchlist ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY watch_read ON watchlist FOR SELECT USING (true)",
        "CREATE POLICY watch_add ON watchlist FOR INSERT WITH CHECK (owner = session_user)",
        "CREATE POLICY watch_remove ON watchlist FOR UPDATE "
        "USING (owner = session_user OR wb_unit_role() = 'supervisor')",
        "ALTER TABLE watch_alerts ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY alert_read ON watch_alerts FOR SELECT USING "
        "(owner = session_user OR case_id IN (SELECT wb_writable_cases()))",
        "CREATE POLICY alert_raise ON watch_alerts FOR INSERT WITH CHECK "
        "(case_id IN (SELECT wb_writable_cases()))",
        # Whether a case exists that the caller may not open (to record the refusal).
        """CREATE FUNCTION wb_case_hidden(case_ref text) RETURNS boolean LANGUAGE sql STABLE
          SECURITY DEFINER SET search_path = public AS $$
          SELECT EXISTS (SELECT 1 FROM cases WHERE ref = case_ref
                         AND id NOT IN (SELECT wb_readable_cases())) $$""",
        f"""CREATE FUNCTION wb_cross_case_hits(for_case integer)
          RETURNS TABLE (kind text, value text, other_ref text, officer text)
          LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT mine.kind::text, mine.value::text,
                 CASE WHEN other.case_id IN (SELECT wb_readable_cases()) THEN c.ref END,
                 (SELECT string_agg(coalesce(v.name, a.login), ', ' ORDER BY a.login)
                    FROM case_access a LEFT JOIN investigators v ON v.login = a.login
                   WHERE a.case_id = other.case_id AND a.access = 'grant'
                     AND a.role = 'officer_in_charge')
            FROM identifiers mine
            JOIN identifiers other ON other.kind = mine.kind AND other.value = mine.value
                                  AND other.case_id <> mine.case_id
            JOIN cases c ON c.id = other.case_id
           WHERE mine.case_id = for_case AND mine.kind IN ({hit_kinds})
             AND for_case IN (SELECT wb_readable_cases()) $$""",
    ]
    for table in CASE_TABLES:
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY case_read ON {table} FOR SELECT "
            "USING (case_id IN (SELECT wb_readable_cases()))",
            f"CREATE POLICY case_write ON {table} FOR ALL "
            "USING (case_id IN (SELECT wb_writable_cases())) "
            "WITH CHECK (case_id IN (SELECT wb_writable_cases()))",
        ]
    for table, parent, column in CHILD_TABLES:
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY case_read ON {table} FOR SELECT "
            f"USING ({column} IN (SELECT id FROM {parent}))",
            f"CREATE POLICY case_write ON {table} FOR ALL "
            f"USING ({column} IN (SELECT id FROM {parent} "
            "WHERE case_id IN (SELECT wb_writable_cases()))) "
            f"WITH CHECK ({column} IN (SELECT id FROM {parent} "
            "WHERE case_id IN (SELECT wb_writable_cases())))",
        ]
    for table in APPEND_ONLY:
        statements += [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION wb_append_only()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION wb_append_only()",
        ]
    writable = ", ".join((*CASE_TABLES, *(child for child, _, _ in CHILD_TABLES),
                          "cases", "case_access"))
    statements.append(f"""DO $$ BEGIN
      IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'wb_staff') THEN
        GRANT SELECT ON ALL TABLES IN SCHEMA public TO wb_staff, wb_reader;
        GRANT INSERT, UPDATE, DELETE ON {writable} TO wb_staff;
        GRANT INSERT ON audit_entries, watchlist, watch_alerts, unit_certificates TO wb_staff;
        GRANT UPDATE ON watchlist, audit_entries TO wb_staff;
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO wb_staff;
        REVOKE DELETE ON audit_entries, annotations FROM wb_staff;
        REVOKE UPDATE ON annotations FROM wb_staff;
      END IF; END $$""")
    return statements


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in (*CASE_TABLES, *(t for t, _, _ in CHILD_TABLES)):
            op.execute(f"DROP POLICY IF EXISTS case_read ON {table}")
            op.execute(f"DROP POLICY IF EXISTS case_write ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for statement in (
            "DROP POLICY case_read ON cases", "DROP POLICY case_create ON cases",
            "DROP POLICY case_update ON cases", "DROP POLICY case_delete ON cases",
            "ALTER TABLE cases DISABLE ROW LEVEL SECURITY",
            "DROP POLICY audit_read ON audit_entries", "DROP POLICY audit_append ON audit_entries",
            "ALTER TABLE audit_entries DISABLE ROW LEVEL SECURITY",
            "DROP TRIGGER audit_entries_append_only ON audit_entries",
            "DROP TRIGGER audit_entries_no_truncate ON audit_entries",
            "DROP TRIGGER cases_creator ON cases", "DROP TRIGGER cases_officer_in_charge ON cases",
            "DROP FUNCTION wb_cross_case_hits(integer)", "DROP FUNCTION wb_case_hidden(text)", "DROP FUNCTION wb_case_created()",
            "DROP FUNCTION wb_append_only()",
        ):
            op.execute(statement)
    for table in ('watch_alerts', 'watchlist', 'annotations', 'case_tags', 'case_access',
                  'investigators'):
        op.drop_table(table)
    if bind.dialect.name == "postgresql":
        for function in ("wb_managed_cases", "wb_writable_cases", "wb_readable_cases",
                         "wb_unit_role", "wb_is_admin"):
            op.execute(f"DROP FUNCTION {function}()")
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.drop_index('ix_identifiers_kind_value')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('created_by')
