"""keyed audit chain: who and which OS account, signatures, record seals

Audit entries gain the OS account beside the investigator, the record-seal digests,
the unit certificate's fingerprint and the signature of the entry's hash (all NULL in
entries written before, which stay verifiable as they were). The unit certificates
are stored once per store; each case's record seal names every decision-relevant
record's digest as of the audit entry that sealed it.

Revision ID: 0006_identity_audit
Revises: 0005_detection
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_identity_audit'
down_revision = '0005_detection'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('os_account', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('state', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('key_fingerprint', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('signature', sa.Text(), nullable=True))
    op.create_table(
        'unit_certificates',
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('pem', sa.Text(), nullable=False),
        sa.Column('first_used_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('fingerprint'),
    )
    op.create_table(
        'case_seals',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('records', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id'),
    )


def downgrade() -> None:
    op.drop_table('case_seals')
    op.drop_table('unit_certificates')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        for column in ('signature', 'key_fingerprint', 'state', 'os_account'):
            batch_op.drop_column(column)
