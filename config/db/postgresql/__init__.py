"""PostgreSQL (psycopg 3), with a cheaper guard on kept connections: see ``base``."""
