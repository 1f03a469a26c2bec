namespace GGnet.Core.Errors;

/// <summary>The change would clash with something that exists (a duplicate MAC, a busy machine…); nothing was saved.</summary>
public sealed class ConflictException(string message) : Exception(message);
