-- Two-factor policy: the roles an admin requires to sign in with a second factor, shared by
-- every node. Sign-in requires the union of these and the `two_factor_roles` setting.
CREATE TABLE two_factor_roles (
    role TEXT PRIMARY KEY
);
