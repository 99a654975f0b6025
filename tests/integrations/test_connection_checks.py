"""Connection checks say in plain words which cause failed, against the real servers."""

from __future__ import annotations

from dataclasses import replace

from integrations.sql import check_connection
from tests.integrations.conftest import closed_port


def test_a_reachable_postgresql_database_checks_ok(scratch_postgres):
    check = check_connection(scratch_postgres)
    assert check.ok, check.message
    assert "1 readable tables" in check.message


def test_a_closed_port_is_reported_as_an_unreachable_host(scratch_postgres, scratch_mariadb):
    for target in (scratch_postgres, scratch_mariadb):
        check = check_connection(replace(target, port=closed_port()))
        assert not check.ok
        assert check.code == "UNREACHABLE"
        assert check.message.startswith("Unreachable host")


def test_an_unknown_database_is_named_in_the_message(scratch_postgres, scratch_mariadb):
    for target in (scratch_postgres, scratch_mariadb):
        check = check_connection(replace(target, database="no_such_db_here"))
        assert check.code == "UNKNOWN_DATABASE"
        assert "'no_such_db_here' does not exist" in check.message


def test_a_wrong_password_is_reported_as_bad_credentials_without_echoing_it(
    scratch_mariadb, mariadb_user_with_password
):
    user, _ = mariadb_user_with_password
    wrong = "not-the-password-123"
    check = check_connection(replace(scratch_mariadb, user=user, password=wrong))
    assert check.code == "BAD_CREDENTIALS"
    assert check.message.startswith("Bad credentials")
    assert wrong not in check.message


def test_the_right_password_for_a_select_only_user_checks_ok(scratch_mariadb, mariadb_user_with_password):
    user, password = mariadb_user_with_password
    check = check_connection(replace(scratch_mariadb, user=user, password=password))
    assert check.ok, check.message


def test_a_user_without_rights_on_the_database_is_told_select_is_missing(scratch_mariadb, mariadb_user_with_password):
    import pymysql

    user, password = mariadb_user_with_password
    admin = pymysql.connect(host=scratch_mariadb.host, port=scratch_mariadb.port, user="root", password="")
    with admin.cursor() as cursor:
        cursor.execute(f"REVOKE SELECT ON `{scratch_mariadb.database}`.* FROM %s@'%%'", [user])
    admin.close()
    check = check_connection(replace(scratch_mariadb, user=user, password=password))
    assert check.code == "MISSING_SELECT_PERMISSION"
    assert check.message.startswith("Missing SELECT permission")


def test_requiring_ssl_from_a_server_without_it_says_so(scratch_postgres):
    check = check_connection(replace(scratch_postgres, ssl_mode="require"))
    assert check.code == "SSL_UNAVAILABLE"
    assert "does not offer SSL" in check.message
