"""What the database role behind a connection may do, and the SQL for one that only reads.

A superuser (PostgreSQL) or a user with SUPER or FILE (MySQL/MariaDB) can read server files,
signal other sessions and write through side doors (dblink, INTO OUTFILE) that no
read-only transaction stops, so such connections are refused unless
FLOWBUILDER_DB_ALLOW_SUPERUSER is set. A role that can write is accepted with a warning:
the read-only guards hold, but the role itself is the last line and should not write.
"""

from __future__ import annotations

from typing import Any

MYSQL_SUPER_PRIVILEGES = {"SUPER", "FILE"}
MYSQL_WRITE_PRIVILEGES = {
    "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "INDEX", "CREATE VIEW", "TRIGGER",
    "CREATE ROUTINE", "ALTER ROUTINE", "EXECUTE", "EVENT", "REFERENCES", "LOCK TABLES",
}  # fmt: skip
POSTGRESQL_POWER_ROLES = ("pg_read_server_files", "pg_write_server_files", "pg_execute_server_program")

_MYSQL_GRANTEE = (
    "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')"
)
MYSQL_PRIVILEGES_SQL = (
    "SELECT DISTINCT PRIVILEGE_TYPE FROM ("
    "SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES "
    "UNION ALL SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES "
    "UNION ALL SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES"
    f") AS granted WHERE GRANTEE = {_MYSQL_GRANTEE}"
)
MYSQL_GLOBAL_PRIVILEGES_SQL = (
    f"SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = {_MYSQL_GRANTEE}"
)
POSTGRESQL_POWER_SQL = (
    "SELECT "
    + ", ".join(f"pg_has_role(current_user, '{role}', 'member')" for role in POSTGRESQL_POWER_ROLES)
    + ", (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg_toast%' "
    "AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')), "
    "has_database_privilege(current_database(), 'CREATE'), "
    "(SELECT rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user)"
)


def mysql_is_superuser(connection) -> bool:
    """True when the connected MySQL/MariaDB user holds SUPER or FILE globally."""
    with connection.cursor() as cursor:
        cursor.execute(MYSQL_GLOBAL_PRIVILEGES_SQL)
        return bool(MYSQL_SUPER_PRIVILEGES & {row[0] for row in cursor.fetchall()})


def superuser_message(target) -> str:
    power = "a superuser" if target.kind == "postgresql" else "holds SUPER or FILE"
    return (
        f"Role too powerful: user {target.user!r} is {power}, which can read server files and write "
        "around a read-only transaction, so Flowbuilder refuses it. Connect as a read-only role:\n"
        f"{read_only_role_sql(target)}\n"
        "(or set FLOWBUILDER_DB_ALLOW_SUPERUSER=true to accept it anyway)."
    )


def write_warnings(target, run_read_query) -> list[str]:
    """Plain-words warnings about what the role could change; empty for a read-only role."""
    if target.kind == "postgresql":
        row = run_read_query(target, POSTGRESQL_POWER_SQL).rows[0]
        return _postgresql_warnings(target, row)
    granted = {row[0] for row in run_read_query(target, MYSQL_PRIVILEGES_SQL).rows}
    writes = sorted(granted & MYSQL_WRITE_PRIVILEGES)
    if not writes:
        return []
    return [f"User {target.user!r} can write ({', '.join(writes)}); a role with SELECT only is safer."]


def _postgresql_warnings(target, row: list[Any]) -> list[str]:
    *power, writable_tables, can_create, can_create_roles = row
    warnings = []
    held = [role for role, member in zip(POSTGRESQL_POWER_ROLES, power, strict=True) if member]
    if held:
        warnings.append(f"User {target.user!r} is a member of {', '.join(held)} (server file access).")
    if writable_tables:
        warnings.append(
            f"User {target.user!r} may write to {writable_tables} tables; a role with SELECT only is safer."
        )
    if can_create or can_create_roles:
        warnings.append(f"User {target.user!r} may create schemas, databases or roles.")
    return warnings


def read_only_role_sql(target) -> str:
    """The statements an administrator runs to make a role that can only read this database."""
    database = target.database or "your_database"
    if target.kind == "postgresql":
        return (
            "CREATE ROLE flowbuilder_reader LOGIN PASSWORD '…' NOSUPERUSER NOCREATEDB NOCREATEROLE;\n"
            f'GRANT CONNECT ON DATABASE "{database}" TO flowbuilder_reader;\n'
            "GRANT USAGE ON SCHEMA public TO flowbuilder_reader;\n"
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO flowbuilder_reader;\n"
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO flowbuilder_reader;\n"
            "ALTER ROLE flowbuilder_reader SET default_transaction_read_only = on;"
        )
    return (
        "CREATE USER 'flowbuilder_reader'@'%' IDENTIFIED BY '…';\n"
        f"GRANT SELECT, SHOW VIEW ON `{database}`.* TO 'flowbuilder_reader'@'%';"
    )
