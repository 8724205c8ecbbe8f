"""event links: one communication held by several exhibits

Two records of the same message or call from different exhibits (a phone download and
the other party's export) are linked as one event with several sources; undone links
are kept so that they are not made again.

Revision ID: 0005_detection
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from workbench.model.base import UTCDateTime

revision = '0005_detection'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'event_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('duplicate_id', sa.Integer(), nullable=False),
        sa.Column('linked_at', UTCDateTime(), nullable=False),
        sa.Column('linked_by', sa.String(length=128), nullable=False),
        sa.Column('undone_at', UTCDateTime(), nullable=True),
        sa.Column('undone_by', sa.String(length=128), nullable=True),
        sa.Column('undo_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['duplicate_id'], ['events.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('duplicate_id'),
    )
    op.create_index('ix_event_links_case_id', 'event_links', ['case_id'], unique=False)
    op.create_index('ix_event_links_event_id', 'event_links', ['event_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_event_links_event_id', table_name='event_links')
    op.drop_index('ix_event_links_case_id', table_name='event_links')
    op.drop_table('event_links')
