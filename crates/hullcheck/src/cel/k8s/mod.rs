//! The Kubernetes CEL libraries (`k8s.io/apiserver/pkg/cel/library`) on the `cel` crate:
//! quantity ([`quantity`]), IP and CIDR ([`net`]), URL ([`url`]), semver ([`semver`]), and
//! regex `find`, sets and the list functions ([`misc`]). Each value type is opaque, as in
//! Kubernetes, and compares by value.

pub mod misc;
pub mod net;
pub mod quantity;
pub mod semver;
pub mod url;

use cel::{DeclarationError, Env, ExecutionError};

/// Registers every library on `env`.
pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    quantity::extension(env)?;
    net::extension(env)?;
    url::extension(env)?;
    semver::extension(env)?;
    misc::extension(env)
}

/// A function error with the function's name.
pub(crate) fn fail(function: &str, message: impl ToString) -> ExecutionError {
    ExecutionError::function_error(function, message)
}

/// Declares an opaque value type: its CEL type, `Val` with equality by value, and `StaticVal`.
macro_rules! opaque {
    ($ty:ident, $static:ident, $name:literal) => {
        static $static: cel::common::types::Type =
            cel::common::types::Type::simple_type(cel::common::types::Kind::Opaque, $name);

        impl cel::common::value::Val for $ty {
            fn get_type(&self) -> &cel::common::types::Type {
                &$static
            }
            fn cel_type() -> &'static cel::common::types::Type {
                &$static
            }
            fn equals(&self, other: &dyn cel::common::value::Val) -> bool {
                other.downcast_ref::<$ty>().is_some_and(|o| o == self)
            }
            fn clone_as_boxed<'v>(&self) -> Box<dyn cel::common::value::Val + 'v> {
                Box::new(self.clone())
            }
            fn as_any(&self) -> Option<&dyn std::any::Any> {
                Some(self)
            }
        }

        impl cel::common::value::StaticVal for $ty {}
    };
}
pub(crate) use opaque;
