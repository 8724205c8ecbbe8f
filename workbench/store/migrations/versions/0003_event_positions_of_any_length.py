"""event positions of any length

A position inside a zip names the member as well as the record
(``your_activity_across_facebook/messages/inbox/<thread>/message_1.json
messages[12]``), longer than the 64 characters the column allowed.

On SQLite the table is rebuilt (batch mode); the store's migration runner turns
foreign keys off around it, as SQLite's own procedure for rebuilding a table
says, so dropping the old table cannot cascade to the marker evidence.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('source_position', existing_type=sa.String(length=64),
                              type_=sa.Text(), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('source_position', existing_type=sa.Text(),
                              type_=sa.String(length=64), existing_nullable=False)
