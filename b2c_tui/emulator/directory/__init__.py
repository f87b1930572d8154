"""The directory's objects besides users: applications, service principals and grants,
deleted items, the audit log, the organization, and their query specs."""
