namespace GGnet.Core.Errors;

public sealed class NotFoundException(string message) : Exception(message);
