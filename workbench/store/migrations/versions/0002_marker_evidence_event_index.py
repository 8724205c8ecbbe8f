"""index marker evidence by event

Deleting an exhibit's events (re-reading it with --replace) checks each deleted
event for marker evidence pointing at it; without this index every check scans
the whole table.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('marker_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marker_evidence_event_id'), ['event_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('marker_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marker_evidence_event_id'))
