namespace GGnet.Core.Errors;

/// <summary>Something is bigger than GGnet accepts; the message says the limit and what to do instead.</summary>
public sealed class TooLargeException(string message) : Exception(message);
