using QuantKernels.Datasets.Canvas;
using QuantKernels.Datasets.FashionMnist;

namespace QuantKernels.Datasets.Tests;

public class CanvasGeneratorTests
{
    [Fact]
    public void Canvases_are_reproducible_per_index_and_differ_between_indices()
    {
        using var data = new SyntheticFashionMnist();
        var set = FashionMnistSet.Load(FashionMnistSplit.Train, data.Directory);
        var a = new FashionCanvasGenerator(set, 10, new CanvasOptions { Size = 64, Seed = 7 });
        var b = new FashionCanvasGenerator(set, 10, new CanvasOptions { Size = 64, Seed = 7 });
        Assert.Equal(a.Get(5).Rgb, b.Get(5).Rgb);
        Assert.Equal(a.Get(5).Objects, b.Get(5).Objects);
        Assert.NotEqual(a.Get(5).Rgb, a.Get(6).Rgb);
        var otherSeed = new FashionCanvasGenerator(set, 10, new CanvasOptions { Size = 64, Seed = 8 });
        Assert.NotEqual(a.Get(5).Rgb, otherSeed.Get(5).Rgb);
    }

    [Fact]
    public void Boxes_are_tight_around_the_drawn_items()
    {
        using var data = new SyntheticFashionMnist();
        var set = FashionMnistSet.Load(FashionMnistSplit.Train, data.Directory);
        var options = new CanvasOptions { Size = 96, MinItems = 1, MaxItems = 1, Seed = 3 };
        var gen = new FashionCanvasGenerator(set, 20, options);
        for (int i = 0; i < gen.Count; i++)
        {
            var s = gen.Get(i);
            var o = Assert.Single(s.Objects);
            var box = o.Box;
            Assert.InRange(box.XMin, 0, 1); Assert.InRange(box.XMax, box.XMin, 1);
            Assert.InRange(box.YMin, 0, 1); Assert.InRange(box.YMax, box.YMin, 1);
            // The synthetic items are rectangles with aspect w/h = (8 + k%12) / (10 + k%8) for source k with label k%10:
            // the box aspect must be close to one of those, and its side within the configured fraction.
            float side = MathF.Max(box.Width, box.Height);
            Assert.InRange(side, 0.2f * 8 / 28 * 0.8f, 0.55f + 0.02f);
        }
    }

    [Fact]
    public void Item_counts_and_overlaps_respect_the_options()
    {
        using var data = new SyntheticFashionMnist();
        var set = FashionMnistSet.Load(FashionMnistSplit.Train, data.Directory);
        var gen = new FashionCanvasGenerator(set, 30, new CanvasOptions { Size = 128, MinItems = 2, MaxItems = 4, MaxItemFraction = 0.3f, Seed = 1 });
        for (int i = 0; i < gen.Count; i++)
        {
            var objs = gen.Get(i).Objects;
            Assert.InRange(objs.Count, 1, 4); // placements may give up on a crowded canvas, never exceed the maximum
            for (int p = 0; p < objs.Count; p++)
                for (int q = p + 1; q < objs.Count; q++) Assert.True(objs[p].Box.IoU(objs[q].Box) <= 0.15f);
        }
        Assert.True(Enumerable.Range(0, gen.Count).Average(i => gen.Get(i).Objects.Count) >= 2);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        using var data = new SyntheticFashionMnist();
        var set = FashionMnistSet.Load(FashionMnistSplit.Train, data.Directory);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FashionCanvasGenerator(set, 1, new CanvasOptions { Size = 8 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FashionCanvasGenerator(set, 1, new CanvasOptions { MinItems = 3, MaxItems = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FashionCanvasGenerator(set, 1, new CanvasOptions { MinItemFraction = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FashionCanvasGenerator(set, 1).Get(1));
    }
}
