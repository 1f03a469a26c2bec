using GGnet.Core.Domain.Machines;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GGnet.Infrastructure.Persistence.Configurations;

internal sealed class DiscoveredPcConfiguration : IEntityTypeConfiguration<DiscoveredPc>
{
    public void Configure(EntityTypeBuilder<DiscoveredPc> builder)
    {
        builder.Property(d => d.MacAddress).HasConversion<MacAddressConverter>().HasMaxLength(17);
        builder.Property(d => d.LastIpAddress).HasConversion<Ipv4AddressConverter>();
        builder.HasIndex(d => d.MacAddress).IsUnique();
    }
}

internal sealed class BootEventConfiguration : IEntityTypeConfiguration<BootEvent>
{
    public void Configure(EntityTypeBuilder<BootEvent> builder)
    {
        builder.Property(e => e.MacAddress).HasConversion<MacAddressConverter>().HasMaxLength(17);
        builder.Property(e => e.ClientAddress).HasConversion<Ipv4AddressConverter>();
        builder.Property(e => e.Detail).HasMaxLength(500);
        builder.HasOne<Machine>().WithMany().HasForeignKey(e => e.MachineId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.MachineId, e.Id });
        // The latest lease of an address, asked on a node that keeps no DHCP leases for a PC's script (BootRepository.FindLatestLeaseAsync).
        builder.HasIndex(e => new { e.ClientAddress, e.Id });
    }
}
