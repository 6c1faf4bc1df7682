//! `sync`: the owner's security servers, read through their management REST API, against
//! the file.
//!
//! [`config`] checks the servers' API settings, [`client`] reads a server (over [`tls`]) into
//! the [`api`] types, [`drift`] compares a server with the checked arrangement, and
//! [`report`] prints the result. The command layer (`cmd/sync.rs`) reads the API keys from
//! the environment and records what the servers prove in the file.

pub mod api;
pub mod client;
pub mod config;
pub mod drift;
pub mod report;
pub mod tls;
