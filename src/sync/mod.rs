//! `sync`: the owner's security servers, read through their management REST API, against
//! the file.
//!
//! [`config`] checks the servers' API settings, and [`client`] reads a server (over
//! [`tls`]) into the [`api`] types.

pub mod api;
pub mod client;
pub mod config;
pub mod tls;
