using QuantKernels.Runtime.Planning;

namespace QuantKernels.Runtime.Tests;

public class ArenaPlannerTests
{
    [Fact]
    public void Tensors_alive_at_the_same_time_never_overlap_and_dead_ones_share_space()
    {
        var rng = new Random(1234);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = rng.Next(1, 40);
            var req = new ArenaPlanner.Request[n];
            for (int i = 0; i < n; i++)
            {
                int a = rng.Next(0, 30), b = rng.Next(0, 30);
                req[i] = new(rng.Next(0, 5000), Math.Min(a, b), Math.Max(a, b));
            }
            var offsets = new long[n];
            long size = ArenaPlanner.Plan(req, offsets);
            long sum = 0;
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(0, offsets[i] % ArenaPlanner.Alignment);
                Assert.True(offsets[i] + req[i].Size <= size);
                sum += (req[i].Size + 63) / 64 * 64;
                for (int j = i + 1; j < n; j++)
                {
                    bool liveTogether = !(req[i].LastStep < req[j].FirstStep || req[j].LastStep < req[i].FirstStep);
                    bool overlap = offsets[i] < offsets[j] + Math.Max(1, req[j].Size) && offsets[j] < offsets[i] + Math.Max(1, req[i].Size);
                    Assert.False(liveTogether && overlap, $"trial {trial}: tensors {i} and {j} overlap while both alive");
                }
            }
            Assert.True(size <= sum + 64 * n);
        }
    }

    [Fact]
    public void A_chain_reuses_memory()
    {
        // a -> b -> c -> d, each alive for two steps: two slots suffice.
        ArenaPlanner.Request[] req = [new(1000, 0, 1), new(1000, 1, 2), new(1000, 2, 3), new(1000, 3, 4)];
        var offsets = new long[4];
        long size = ArenaPlanner.Plan(req, offsets);
        Assert.Equal(2 * 1024, size);
    }
}
