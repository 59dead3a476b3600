namespace Trm;

/// <summary>
/// An error caused by the user's input (a file, flag, field or shape) rather than by a bug.
/// The message names what was wrong, where, and what to do; the CLI prints it without a stack trace.
/// </summary>
public sealed class TrmException(string message, Exception? inner = null) : Exception(message, inner);
