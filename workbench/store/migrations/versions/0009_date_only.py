"""records known only to the day

Events gain ``date_only``: the source gave a date with no time of day (``12 May 2016``,
a date column with an empty time). Such a record is stored at the local start of its
day and shown as a date, never as a made-up "00:00". Existing events are timed (false).

Revision ID: 0009_date_only
Revises: 0008_event_read_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_date_only'
down_revision = '0008_event_read_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('date_only', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('date_only')
