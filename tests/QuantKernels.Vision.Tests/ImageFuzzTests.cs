using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace QuantKernels.Vision.Tests;

/// <summary>
/// Mutated real images (seeded, bounded in count and time): only <see cref="ImageLoadException"/> may escape the
/// loader, and the loader still decodes a good image afterwards.
/// </summary>
public class ImageFuzzTests
{
    private const int Mutations = 1000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private const int MinMutations = 50;

    /// <summary>Small JPEG, PNG and BMP encodings of real photos, so each decode is cheap.</summary>
    private static List<byte[]> Seeds()
    {
        var loader = new ImageLoader();
        var seeds = new List<byte[]>();
        foreach (string name in new[] { "dog.jpg", "chelsea.png" })
        {
            using var image = loader.Load(TestData.Image(name));
            image.Mutate(x => x.Resize(64, 48));
            foreach (var save in new Action<Image, Stream>[] { (i, s) => i.SaveAsJpeg(s), (i, s) => i.SaveAsPng(s), (i, s) => i.SaveAsBmp(s) })
            {
                var ms = new MemoryStream();
                save(image, ms);
                seeds.Add(ms.ToArray());
            }
        }
        return seeds;
    }

    /// <summary>One random mutation: bit flips, byte overwrites (often with 0x00/0xFF/extreme sizes), truncation, splices, duplication.</summary>
    internal static byte[] Mutate(byte[] seed, Random rng)
    {
        var b = new List<byte>(seed);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            int at = rng.Next(b.Count);
            if (rng.Next(3) == 0) at = Math.Min(at, 64); // headers get extra attention
            switch (rng.Next(6))
            {
                case 0: b[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1: b[at] = rng.Next(3) switch { 0 => 0x00, 1 => 0xFF, _ => (byte)rng.Next(256) }; break;
                case 2: b.RemoveRange(at, b.Count - at); break;
                case 3: b.RemoveRange(at, Math.Min(rng.Next(1, 64), b.Count - at)); break;
                case 4:
                {
                    int from = rng.Next(b.Count);
                    b.InsertRange(at, b.GetRange(from, Math.Min(32, b.Count - from)));
                    break;
                }
                default:
                    for (int k = 0; k < 4 && at + k < b.Count; k++) b[at + k] = 0xFF; // huge lengths/sizes
                    break;
            }
        }
        return [.. b];
    }

    [Fact]
    public void Only_image_load_exceptions_escape_and_the_loader_stays_healthy()
    {
        var loader = new ImageLoader(new ImageLoadOptions { MaxPixels = 4_000_000 });
        var seeds = Seeds();
        var rng = new Random(20261125);
        var clock = Stopwatch.StartNew();
        int refused = 0, decoded = 0;
        // At least MinMutations whatever the machine's load (a count within a wall-clock budget is a flaky test on a
        // loaded machine), then more while the budget lasts.
        for (int i = 0; i < Mutations && (i < MinMutations || clock.Elapsed < Budget); i++)
        {
            byte[] input = Mutate(seeds[rng.Next(seeds.Count)], rng);
            try
            {
                using var image = loader.Load(input, $"mutation {i}");
                Assert.True(image.Width > 0 && image.Height > 0);
                decoded++;
            }
            catch (ImageLoadException e)
            {
                Assert.Contains($"mutation {i}", e.Message);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} (seed 20261125) escaped as {e.GetType().Name}: {e.Message}");
            }
        }
        TestContext.Current.SendDiagnosticMessage($"{decoded} decoded, {refused} refused in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(refused > 0, "no mutation was refused: the mutator is not exercising error paths");
        using var good = loader.Load(TestData.Image("chelsea.png"));
        Assert.Equal(451, good.Width);
    }
}
