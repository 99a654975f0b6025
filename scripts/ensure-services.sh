#!/usr/bin/env bash
# Make sure the PostgreSQL and Redis the tests need are up: start them if they are
# installed but stopped, and say clearly what is missing otherwise.
set -u

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
mariadb_up() { (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is stopped; starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
fi
if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "Redis is stopped; starting it"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  fi
fi
if ! mariadb_up; then
  if command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ]; then
    echo "MariaDB is stopped; starting it"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 1 30); do mariadb_up && break; sleep 1; done
  fi
fi
missing=0
pg_up || { echo "MISSING: PostgreSQL on 127.0.0.1:5432 (apt-get install postgresql, trust auth for 'postgres')"; missing=1; }
redis_up || { echo "MISSING: Redis on 127.0.0.1:6379 (apt-get install redis-server)"; missing=1; }
mariadb_up || { echo "MISSING: MariaDB on 127.0.0.1:3306, root without password (apt-get install mariadb-server)"; missing=1; }
exit $missing
