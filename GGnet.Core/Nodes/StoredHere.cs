using GGnet.Core.Errors;

namespace GGnet.Core.Nodes;

/// <summary>
/// Files of an image or of a session live on the node that stores them: work on those files is done through that node,
/// and asking another node for it gets a sentence that says where to go instead of a half-done change.
/// </summary>
public static class StoredHere
{
    public static void Require(LocalNode local, string nodeName, string what)
    {
        if (nodeName.Length > 0 && !local.Owns(nodeName))
        {
            throw new ConflictException($"{what} is stored on node {nodeName}, not on this node ({local.Key}). Open GGnet on {nodeName} and do it there.");
        }
    }
}
