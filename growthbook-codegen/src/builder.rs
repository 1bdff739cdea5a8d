//! The `build.rs` (and CLI) entry point: an export file (features, or an
//! attribute list) in, formatted Rust source out.

use crate::export::{AttributeList, Export, ExportError};
use std::fmt;
use std::path::{Path, PathBuf};

/// Generates typed feature accessors from a features export file, or a
/// typed attributes struct from an attribute list
/// ([`Builder::attributes`]).
#[derive(Debug, Clone)]
pub struct Builder {
    input: PathBuf,
    /// `None`: the default for what is generated (`Features` or `User`).
    struct_name: Option<String>,
    /// The input is an attribute list, not a features export.
    attributes: bool,
}

/// Why code could not be generated.
#[derive(Debug)]
#[non_exhaustive]
pub enum CodegenError {
    /// The export file could not be read, or the output not written.
    Io {
        /// The export read or the source file written.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The file is not a features export.
    Export {
        /// The export file.
        path: PathBuf,
        /// What is wrong with it.
        error: ExportError,
    },
    /// The struct name is not a Rust identifier.
    InvalidName(String),
    /// `OUT_DIR` is not set: `generate_to_out_dir` runs in `build.rs` only.
    NoOutDir,
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodegenError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            CodegenError::Export { path, error } => write!(f, "{} is {error}", path.display()),
            CodegenError::InvalidName(name) => {
                write!(f, "struct name {name:?} is not a Rust identifier")
            }
            CodegenError::NoOutDir => f.write_str(
                "OUT_DIR is not set; call generate_to_out_dir from a build script, or use generate",
            ),
        }
    }
}

impl std::error::Error for CodegenError {}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// Reads `features.json` and generates a struct named `Features`.
    pub fn new() -> Builder {
        Builder {
            input: PathBuf::from("features.json"),
            struct_name: None,
            attributes: false,
        }
    }

    /// Generates a typed attributes struct (default name `User`) from
    /// GrowthBook's attribute list at `path` (`GET /api/v1/attributes`)
    /// instead: the same code as `include_attributes!`.
    ///
    /// ```no_run
    /// // build.rs
    /// growthbook_codegen::Builder::new()
    ///     .attributes("attributes.json")
    ///     .generate_to_out_dir("attributes.rs")
    ///     .expect("attributes.json generates code");
    /// ```
    pub fn attributes(mut self, path: impl AsRef<Path>) -> Builder {
        self.input = path.as_ref().to_path_buf();
        self.attributes = true;
        self
    }

    /// The export to read; a relative path is relative to the crate's
    /// manifest directory in a build script, else to the working directory.
    pub fn input(mut self, path: impl AsRef<Path>) -> Builder {
        self.input = path.as_ref().to_path_buf();
        self
    }

    /// The name of the generated struct (a features struct's view is
    /// `{name}View`).
    pub fn struct_name(mut self, name: impl Into<String>) -> Builder {
        self.struct_name = Some(name.into());
        self
    }

    fn input_path(&self) -> PathBuf {
        match std::env::var_os("CARGO_MANIFEST_DIR") {
            Some(dir) if self.input.is_relative() => PathBuf::from(dir).join(&self.input),
            _ => self.input.clone(),
        }
    }

    /// The generated source, formatted.
    pub fn generate(&self) -> Result<String, CodegenError> {
        let path = self.input_path();
        let text = std::fs::read_to_string(&path).map_err(|error| CodegenError::Io {
            path: path.clone(),
            error,
        })?;
        if self.attributes {
            let list = AttributeList::from_json_str(&text)
                .map_err(|error| CodegenError::Export { path, error })?;
            return attributes_source(&list, self.struct_name.as_deref().unwrap_or("User"));
        }
        let export =
            Export::from_json_str(&text).map_err(|error| CodegenError::Export { path, error })?;
        source(&export, self.struct_name.as_deref().unwrap_or("Features"))
    }

    /// Writes the generated source to `$OUT_DIR/{file_name}` and asks Cargo
    /// to rerun the build script when the export changes. Returns the path.
    pub fn generate_to_out_dir(&self, file_name: &str) -> Result<PathBuf, CodegenError> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or(CodegenError::NoOutDir)?;
        println!("cargo:rerun-if-changed={}", self.input_path().display());
        let source = self.generate()?;
        let path = PathBuf::from(out_dir).join(file_name);
        std::fs::write(&path, source).map_err(|error| CodegenError::Io {
            path: path.clone(),
            error,
        })?;
        Ok(path)
    }
}

/// Formatted source for an export (what [`Builder::generate`] writes).
pub fn source(export: &Export, struct_name: &str) -> Result<String, CodegenError> {
    formatted(struct_name, "a GrowthBook features export", |name| {
        crate::generate::generate(export, &syn::parse_quote!(pub), name)
    })
}

/// Formatted source for an attribute list (what [`Builder::generate`]
/// writes after [`Builder::attributes`]).
pub fn attributes_source(list: &AttributeList, struct_name: &str) -> Result<String, CodegenError> {
    formatted(struct_name, "a GrowthBook attribute list", |name| {
        crate::attributes::generate::generate_attributes(list, &syn::parse_quote!(pub), name)
    })
}

fn formatted(
    struct_name: &str,
    from: &str,
    tokens: impl FnOnce(&syn::Ident) -> proc_macro2::TokenStream,
) -> Result<String, CodegenError> {
    let name: syn::Ident = syn::parse_str(struct_name)
        .map_err(|_| CodegenError::InvalidName(struct_name.to_owned()))?;
    let file: syn::File =
        syn::parse2(tokens(&name)).map_err(|e| CodegenError::InvalidName(e.to_string()))?;
    Ok(format!(
        "// @generated by growthbook-codegen from {from}. Do not edit.\n\n{}",
        prettyplease::unparse(&file)
    ))
}
