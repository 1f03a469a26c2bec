namespace GGnet.Core.Boot;

/// <summary>How a PC's iPXE fetches its own script.</summary>
public enum ScriptTransport
{
    /// <summary>Over HTTP from GGnet, falling back to TFTP (the default).</summary>
    Http,

    /// <summary>Over TFTP only: for iPXE builds without HTTP, or networks where the PC can't reach GGnet's HTTP port.</summary>
    Tftp,
}
