/**
 * The native back-end's own error, and the sentences for file-system
 * failures. Everything under native/ raises {@link ToolchainError}; the
 * back-end (index.ts) turns it into the ExprBackendError users see, so a
 * raw Node error (`EACCES: permission denied, open ...`) never escapes.
 */

/** Raised inside the native back-end; index.ts turns it into an ExprBackendError. */
export class ToolchainError extends Error {
  override readonly name = "ToolchainError";
}

/** What an errno code means, in words a user can act on. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EROFS: "the file system is read-only",
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  EEXIST: "it already exists",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  ENAMETOOLONG: "the path is too long",
  EIO: "an input/output error",
};

/** The errno code of a Node error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Why an operation failed, in words: `permission denied (EACCES)`, else the error's message. */
export function reasonOf(error: unknown): string {
  const code = errnoCode(error);
  if (code !== undefined) return `${REASONS[code] ?? "failed"} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A ToolchainError for a failed file operation: `cannot ${action} ${path}:
 * permission denied (EACCES)`. Passes a ToolchainError through unchanged.
 */
export function fileFailure(action: string, path: string, error: unknown): ToolchainError {
  if (error instanceof ToolchainError) return error;
  return new ToolchainError(`cannot ${action} ${path}: ${reasonOf(error)}`);
}

/**
 * Any failure as a ToolchainError; a Node error without our context names
 * its path: `no space left on the device (ENOSPC): /path`.
 */
export function asToolchainError(error: unknown): ToolchainError {
  if (error instanceof ToolchainError) return error;
  const path = (error as { path?: unknown } | null)?.path;
  const where = typeof path === "string" ? `: ${path}` : "";
  return new ToolchainError(`${reasonOf(error)}${where}`);
}

/** Runs a file operation, turning any failure into {@link fileFailure}. */
export function onFile<T>(action: string, path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw fileFailure(action, path, error);
  }
}
