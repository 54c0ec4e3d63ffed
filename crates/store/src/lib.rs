//! Persistence of socialledger on SQLite or PostgreSQL behind one API, with migrations and transactional, idempotent imports.
