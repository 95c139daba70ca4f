using QuantKernels.Datasets;
using QuantKernels.Training.Data;

namespace QuantKernels.Training.Tests;

public sealed class ZoomCropTests
{
    private static DetectionSample Sample(params LabeledBox[] objects)
    {
        // Left half black, right half white: the crop position shows in the pixels.
        var rgb = new byte[20 * 20 * 3];
        for (int y = 0; y < 20; y++)
            for (int x = 10; x < 20; x++) rgb.AsSpan((y * 20 + x) * 3, 3).Fill(255);
        return new DetectionSample(20, 20, rgb, objects);
    }

    [Fact]
    public void Boxes_move_into_the_crop_and_are_clipped_or_dropped()
    {
        var s = Sample(
            new LabeledBox(1, new BoundingBox(0.3f, 0.3f, 0.5f, 0.5f)),
            new LabeledBox(2, new BoundingBox(0.6f, 0.5f, 0.9f, 0.7f), Difficult: true), // 50% inside after the crop
            new LabeledBox(3, new BoundingBox(0f, 0f, 0.3f, 0.3f)));                       // 0.05^2 / 0.3^2 inside: dropped
        var z = ZoomCrop.Apply(s, 0.25f, 0.25f, 0.5f);
        Assert.Equal((20, 20), (z.Width, z.Height));
        Assert.Equal(2, z.Objects.Count);
        var a = z.Objects[0];
        Assert.Equal(1, a.Label);
        Assert.Equal(0.1f, a.Box.XMin, 1e-5f);
        Assert.Equal(0.5f, a.Box.YMax, 1e-5f);
        var b = z.Objects[1];
        Assert.True(b.Difficult);
        Assert.Equal(new BoundingBox(0.7f, 0.5f, 1f, 0.9f), b.Box with { XMin = MathF.Round(b.Box.XMin, 5), YMin = MathF.Round(b.Box.YMin, 5), YMax = MathF.Round(b.Box.YMax, 5) });
        // The crop spans x 5..15 of the source: its left 10 output columns are black, the right ones white.
        Assert.Equal(0, z.Rgb[(10 * 20 + 2) * 3]);
        Assert.Equal(255, z.Rgb[(10 * 20 + 17) * 3]);
    }

    [Fact]
    public void The_full_crop_is_the_identity_and_random_crops_follow_the_seed()
    {
        var s = Sample(new LabeledBox(0, new BoundingBox(0.1f, 0.1f, 0.9f, 0.9f)));
        var same = ZoomCrop.Apply(s, 0, 0, 1);
        Assert.Equal(s.Rgb, same.Rgb);
        Assert.Equal(s.Objects, same.Objects);
        var r1 = ZoomCrop.Random(s, 0.5, new Random(7));
        var r2 = ZoomCrop.Random(s, 0.5, new Random(7));
        Assert.Equal(r1.Rgb, r2.Rgb);
        Assert.Equal(r1.Objects, r2.Objects);
        Assert.NotEqual(s.Objects[0].Box, r1.Objects[0].Box);
        Assert.Throws<ArgumentOutOfRangeException>(() => ZoomCrop.Apply(s, 0, 0, 0));
    }
}
