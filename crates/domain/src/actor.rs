//! Who did something: recorded in every audit record.

use std::fmt;

/// The author of a change. `label()` is what the audit record stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Mamori itself, for a named reason (e.g. `demo` when seeding the demo clinic).
    System(String),
    /// A person at the server's command line, by operating-system user name.
    Cli(String),
    /// A signed-in user, by id and e-mail.
    User { id: i64, email: String },
    /// Someone not (yet) signed in, by network address: used for sign-in attempts.
    Remote(String),
}

impl Actor {
    pub fn label(&self) -> String {
        self.to_string()
    }

    /// The signed-in user's id, when a user acted.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(*id),
            _ => None,
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::System(why) => write!(f, "system:{why}"),
            Actor::Cli(user) => write!(f, "cli:{user}"),
            Actor::User { id, email } => write!(f, "user:{id}:{email}"),
            Actor::Remote(addr) => write!(f, "remote:{addr}"),
        }
    }
}
