//! Evidence as CEL values: a parsed YAML/JSON tree converted once per object, and the size
//! bounds of what an expression sees, for the runtime cost bound.

use std::collections::HashMap;
use std::sync::Arc;

use cel::objects::{Key, Map};
use cel::Value;

use super::cost::Bounds;
use crate::evidence::node::{Node, Value as NodeValue};

/// Converts a tree to a CEL value: integers stay `int`, mappings become maps with string keys.
pub fn from_node(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Int(i) => Value::Int(*i),
        NodeValue::Float(f) => Value::Float(*f),
        NodeValue::Str(s) => Value::String(Arc::new(s.clone())),
        NodeValue::Seq(items) => Value::List(Arc::new(items.iter().map(from_node).collect())),
        NodeValue::Map(entries) => {
            let map: HashMap<Key, Value> = entries
                .iter()
                .map(|(k, v)| (Key::String(Arc::new(k.clone())), from_node(v)))
                .collect();
            Value::Map(Map { map: Arc::new(map) })
        }
    }
}

/// Converts a JSON value (parameters given as data) to a CEL value.
pub fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::Int(i),
            (None, Some(u)) => Value::UInt(u),
            _ => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::String(Arc::new(s.clone())),
        serde_json::Value::Array(a) => Value::List(Arc::new(a.iter().map(from_json).collect())),
        serde_json::Value::Object(o) => {
            let map: HashMap<Key, Value> = o
                .iter()
                .map(|(k, v)| (Key::String(Arc::new(k.clone())), from_json(v)))
                .collect();
            Value::Map(Map { map: Arc::new(map) })
        }
    }
}

/// A map with string keys, built from pairs.
pub fn map_of(pairs: impl IntoIterator<Item = (String, Value)>) -> Value {
    let map: HashMap<Key, Value> = pairs
        .into_iter()
        .map(|(k, v)| (Key::String(Arc::new(k)), v))
        .collect();
    Value::Map(Map { map: Arc::new(map) })
}

/// The size bounds of a value: its largest collection and longest string.
pub fn bounds(v: &Value) -> Bounds {
    let mut b = Bounds {
        collection: 0,
        string: 0,
    };
    let mut stack: Vec<&Value> = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::List(items) => {
                b.collection = b.collection.max(items.len() as u64);
                stack.extend(items.iter());
            }
            Value::Map(m) => {
                b.collection = b.collection.max(m.map.len() as u64);
                for (k, v) in m.map.iter() {
                    if let Key::String(s) = k {
                        b.string = b.string.max(s.len() as u64);
                    }
                    stack.push(v);
                }
            }
            Value::String(s) => b.string = b.string.max(s.len() as u64),
            Value::Bytes(s) => b.string = b.string.max(s.len() as u64),
            _ => {}
        }
    }
    b
}

/// True when the value can be bound as a variable (plain data and optionals, no functions).
pub fn bindable(v: &Value) -> bool {
    let mut stack: Vec<&Value> = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::List(items) => stack.extend(items.iter()),
            Value::Map(m) => stack.extend(m.map.values()),
            Value::Function(..) | Value::Struct(_) => return false,
            _ => {}
        }
    }
    true
}

/// The CEL type name of a value, for messages.
pub fn type_name(v: &Value) -> String {
    v.type_of().to_string()
}
