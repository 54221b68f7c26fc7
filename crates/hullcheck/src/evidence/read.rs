//! Typed, located reads over a [`Node`] tree, with Kubernetes' strict typing.
//!
//! A present field of the wrong type is an [`EvidenceError::WrongType`]; `null` reads as absent,
//! as the Kubernetes JSON decoder treats it.

use super::error::EvidenceError;
use super::node::{push_pointer, Node, Value};

/// Where a fact came from inside its document: line and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loc {
    /// 1-based line in the file.
    pub line: u32,
    /// JSON pointer from the document root (shared by the findings that cite it).
    pub path: std::sync::Arc<str>,
}

/// A value together with its source location.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where it was read.
    pub loc: Loc,
}

/// A cursor over one node, remembering its JSON pointer.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    node: &'a Node,
    path: String,
}

impl<'a> Cursor<'a> {
    /// A cursor at a document root or subtree with a known pointer.
    pub fn new(node: &'a Node, path: impl Into<String>) -> Self {
        Self {
            node,
            path: path.into(),
        }
    }

    /// The node under the cursor.
    pub fn node(&self) -> &'a Node {
        self.node
    }

    /// The JSON pointer of the node.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The location of the node.
    pub fn loc(&self) -> Loc {
        Loc {
            line: self.node.line,
            path: self.path.as_str().into(),
        }
    }

    fn wrong(&self, expected: &'static str) -> EvidenceError {
        EvidenceError::WrongType {
            line: self.node.line,
            path: self.path.clone(),
            expected,
            found: self.node.type_name(),
        }
    }

    /// The child at `key` when this is a mapping and the child is present and not null.
    /// A non-mapping is a type error.
    pub fn field(&self, key: &str) -> Result<Option<Cursor<'a>>, EvidenceError> {
        match &self.node.value {
            Value::Map(entries) => Ok(entries
                .iter()
                .find(|(k, _)| k == key)
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| Cursor {
                    node: v,
                    path: push_pointer(&self.path, k),
                })),
            Value::Null => Ok(None),
            _ => Err(self.wrong("a mapping")),
        }
    }

    /// The elements of a list (a null reads as empty).
    pub fn items(&self) -> Result<Vec<Cursor<'a>>, EvidenceError> {
        match &self.node.value {
            Value::Seq(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| Cursor {
                    node: v,
                    path: push_pointer(&self.path, &i.to_string()),
                })
                .collect()),
            Value::Null => Ok(Vec::new()),
            _ => Err(self.wrong("a list")),
        }
    }

    /// The entries of a mapping (a null reads as empty).
    pub fn entries(&self) -> Result<Vec<(&'a str, Cursor<'a>)>, EvidenceError> {
        match &self.node.value {
            Value::Map(entries) => Ok(entries
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str(),
                        Cursor {
                            node: v,
                            path: push_pointer(&self.path, k),
                        },
                    )
                })
                .collect()),
            Value::Null => Ok(Vec::new()),
            _ => Err(self.wrong("a mapping")),
        }
    }

    /// Requires the node to be a mapping.
    pub fn expect_map(&self) -> Result<(), EvidenceError> {
        match &self.node.value {
            Value::Map(_) | Value::Null => Ok(()),
            _ => Err(self.wrong("a mapping")),
        }
    }

    /// The node as a boolean.
    pub fn bool(&self) -> Result<At<bool>, EvidenceError> {
        match self.node.value {
            Value::Bool(b) => Ok(At {
                value: b,
                loc: self.loc(),
            }),
            _ => Err(self.wrong("a boolean")),
        }
    }

    /// The node as an integer.
    pub fn int(&self) -> Result<At<i64>, EvidenceError> {
        match self.node.value {
            Value::Int(i) => Ok(At {
                value: i,
                loc: self.loc(),
            }),
            _ => Err(self.wrong("an integer")),
        }
    }

    /// The node as a string.
    pub fn string(&self) -> Result<At<String>, EvidenceError> {
        match &self.node.value {
            Value::Str(s) => Ok(At {
                value: s.clone(),
                loc: self.loc(),
            }),
            _ => Err(self.wrong("a string")),
        }
    }

    /// Optional boolean child.
    pub fn opt_bool(&self, key: &str) -> Result<Option<At<bool>>, EvidenceError> {
        self.field(key)?.map(|c| c.bool()).transpose()
    }

    /// Optional integer child.
    pub fn opt_int(&self, key: &str) -> Result<Option<At<i64>>, EvidenceError> {
        self.field(key)?.map(|c| c.int()).transpose()
    }

    /// Optional string child.
    pub fn opt_string(&self, key: &str) -> Result<Option<At<String>>, EvidenceError> {
        self.field(key)?.map(|c| c.string()).transpose()
    }

    /// A list of strings child (absent reads as empty).
    pub fn string_list(&self, key: &str) -> Result<Vec<At<String>>, EvidenceError> {
        match self.field(key)? {
            None => Ok(Vec::new()),
            Some(list) => list.items()?.iter().map(Cursor::string).collect(),
        }
    }
}
