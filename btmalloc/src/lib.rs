//! btmalloc: a malloc whose primary key is the call site.
//!
//! Every allocation will be grouped into a partition by a hash of its
//! return address. This release holds the size-class table that slabs are
//! carved by ([`size_class`]); the allocator itself, the `LD_PRELOAD`
//! library and the benchmark suite arrive in later releases (see the
//! README's status table).
//!
//! ```
//! use btmalloc::size_class::{class_of, class_size};
//!
//! let class = class_of(100).expect("small sizes have a class");
//! assert!(class_size(class).is_some_and(|block| block >= 100));
//! ```

pub mod size_class;
