//! Errors raised while loading or validating a catalog.

use thiserror::Error;

/// Why a catalog could not be loaded.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CatalogError {
    /// A catalog file or directory could not be read.
    #[error("cannot read catalog file `{file}`: {message}")]
    Io {
        /// The file.
        file: String,
        /// The operating system's message.
        message: String,
    },
    /// A catalog file is not valid YAML or does not match its schema.
    #[error("invalid catalog file `{file}`: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A file the catalog needs is missing.
    #[error("catalog has no `{file}`")]
    Missing {
        /// The file.
        file: String,
    },
    /// Two items share an identifier.
    #[error("duplicate {what} `{id}` in `{file}`")]
    Duplicate {
        /// The file.
        file: String,
        /// The kind of item.
        what: &'static str,
        /// The identifier.
        id: String,
    },
    /// An item refers to something the catalog does not define.
    #[error("`{file}` refers to unknown {what} `{id}`")]
    UnknownReference {
        /// The file.
        file: String,
        /// The kind of item referred to.
        what: &'static str,
        /// The identifier.
        id: String,
    },
    /// A parameter's default does not have its declared type, or two declarations differ.
    #[error("parameter `{name}` in `{file}`: {message}")]
    BadParam {
        /// The file.
        file: String,
        /// The parameter.
        name: String,
        /// What is wrong.
        message: String,
    },
}

impl CatalogError {
    /// The stable dotted code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "catalog.io",
            Self::Invalid { .. } => "catalog.invalid",
            Self::Missing { .. } => "catalog.missing_file",
            Self::Duplicate { .. } => "catalog.duplicate_id",
            Self::UnknownReference { .. } => "catalog.unknown_reference",
            Self::BadParam { .. } => "catalog.bad_param",
        }
    }
}
