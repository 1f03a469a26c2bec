using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GGnet.Infrastructure.Persistence.Configurations;

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    public void Configure(EntityTypeBuilder<Schedule> builder)
    {
        builder.Property(s => s.Action).HasConversion<string>().HasMaxLength(32);
        // Days are flags: stored as their number, not as a list of names.
        builder.Property(s => s.Days).HasConversion<int>();
        builder.HasOne<MachineGroup>().WithMany().HasForeignKey(s => s.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(s => s.Cron);
    }
}
