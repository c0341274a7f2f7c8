//! Customer data: who may read it (naming a customer never widens it), who did read it (the
//! access log), and the customer's rights (export, erasure, retention).

mod access_log;
mod cli;
mod erasure;
mod naming;
mod retention;
mod workspace;
