namespace GGnet.Web.Composition;

/// <summary>A setting or environment problem that prevents start-up, stated as one sentence for the operator.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
