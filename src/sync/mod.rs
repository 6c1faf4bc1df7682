//! `sync`: the owner's security servers, read through their management REST API, against
//! the file.
//!
//! [`config`] checks the servers' API settings.

pub mod config;
