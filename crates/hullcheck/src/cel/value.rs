//! Evidence as CEL values: a parsed YAML/JSON tree built once per object straight into the
//! interpreter's value types (no intermediate form to convert again), and the size bounds of
//! what an expression sees, for the runtime cost bound.

use std::collections::HashMap;

use cel::common::types::{
    CelBool, CelBytes, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, CelUInt,
};
use cel::common::value::Val;

use super::cost::Bounds;
use crate::evidence::node::{Node, Value as NodeValue};

/// A value the interpreter holds.
pub type Boxed = Box<dyn Val + 'static>;

/// A tree as a CEL value: integers stay `int`, mappings become maps with string keys.
pub fn from_node(node: &Node) -> Boxed {
    match &node.value {
        NodeValue::Null => Box::new(CelNull),
        NodeValue::Bool(b) => Box::new(CelBool::from(*b)),
        NodeValue::Int(i) => Box::new(CelInt::from(*i)),
        NodeValue::Float(f) => Box::new(CelDouble::from(*f)),
        NodeValue::Str(s) => Box::new(CelString::from(s.clone())),
        NodeValue::Seq(items) => Box::new(CelList::from(
            items.iter().map(from_node).collect::<Vec<_>>(),
        )),
        NodeValue::Map(entries) => map_of(entries.iter().map(|(k, v)| (k.clone(), from_node(v)))),
    }
}

/// A JSON value (parameters given as data) as a CEL value.
pub fn from_json(v: &serde_json::Value) -> Boxed {
    match v {
        serde_json::Value::Null => Box::new(CelNull),
        serde_json::Value::Bool(b) => Box::new(CelBool::from(*b)),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Box::new(CelInt::from(i)),
            (None, Some(u)) => Box::new(CelUInt::from(u)),
            _ => Box::new(CelDouble::from(n.as_f64().unwrap_or(0.0))),
        },
        serde_json::Value::String(s) => Box::new(CelString::from(s.clone())),
        serde_json::Value::Array(a) => {
            Box::new(CelList::from(a.iter().map(from_json).collect::<Vec<_>>()))
        }
        serde_json::Value::Object(o) => map_of(o.iter().map(|(k, v)| (k.clone(), from_json(v)))),
    }
}

/// A string value.
pub fn string(s: &str) -> Boxed {
    Box::new(CelString::from(s.to_owned()))
}

/// A map with string keys, built from pairs.
pub fn map_of(pairs: impl IntoIterator<Item = (String, Boxed)>) -> Boxed {
    let map: HashMap<CelMapKey<'static>, Boxed> = pairs
        .into_iter()
        .map(|(k, v)| (CelMapKey::String(CelString::from(k)), v))
        .collect();
    Box::new(CelMap::from(map))
}

/// The size bounds of a value: its largest list or map and its longest string.
pub fn bounds(v: &dyn Val) -> Bounds {
    let mut b = Bounds {
        collection: 0,
        string: 0,
    };
    let mut stack: Vec<&dyn Val> = vec![v];
    while let Some(v) = stack.pop() {
        if let Some(list) = v.downcast_ref::<CelList>() {
            b.collection = b.collection.max(list.inner().len() as u64);
            stack.extend(list.inner().iter().map(|x| x.as_ref()));
        } else if let Some(map) = v.downcast_ref::<CelMap>() {
            b.collection = b.collection.max(map.inner().len() as u64);
            for (k, x) in map.inner() {
                if let CelMapKey::String(s) = k {
                    b.string = b.string.max(s.inner().len() as u64);
                }
                stack.push(x.as_ref());
            }
        } else if let Some(s) = v.downcast_ref::<CelString>() {
            b.string = b.string.max(s.inner().len() as u64);
        } else if let Some(s) = v.downcast_ref::<CelBytes>() {
            b.string = b.string.max(s.inner().len() as u64);
        } else if let Some(size) = v.as_sizer() {
            // Another collection (an optional's value, a library value): its size counts.
            b.collection = b
                .collection
                .max(u64::try_from(*size.size().inner()).unwrap_or(0));
        }
    }
    b
}

/// The CEL type name of a value, for messages.
pub fn type_name(v: &dyn Val) -> String {
    v.get_type().name().to_owned()
}
