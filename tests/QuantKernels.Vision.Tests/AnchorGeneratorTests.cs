using System.Runtime.InteropServices;
using QuantKernels.Kernels.Detection.Anchors;
using QuantKernels.Runtime;

namespace QuantKernels.Vision.Tests;

/// <summary>The SSD anchor generators against real anchors: the TFLite_Detection_PostProcess op's constant and BlazeFace's known set.</summary>
public class AnchorGeneratorTests
{
    [Fact]
    public void Ssd_mobilenet_v2_anchors_equal_the_coral_models_anchor_tensor()
    {
        using var model = TfLiteModel.FromFile(TestData.Model("ssd_mobilenet_v2_coco_quant_postprocess_segment_3_of_4_edgetpu.tflite"));
        var op = model.Operators.Single(o => o.CustomCode == "TFLite_Detection_PostProcess");
        var tensor = model.Tensors[op.Inputs[2]];
        Assert.Equal(TensorType.Float32, tensor.Type);
        var expected = MemoryMarshal.Cast<byte, float>(tensor.Data.Span);

        var anchors = MultipleGridAnchorGenerator.Generate(MultipleGridAnchorOptions.SsdMobileNetV2_300);

        Assert.Equal(1917, MultipleGridAnchorGenerator.Count(MultipleGridAnchorOptions.SsdMobileNetV2_300));
        Assert.Equal(expected.Length, anchors.Length);
        float worst = 0;
        int worstAt = -1;
        for (int i = 0; i < anchors.Length; i++)
        {
            float d = Math.Abs(anchors[i] - expected[i]);
            if (d > worst) (worst, worstAt) = (d, i);
        }
        Assert.True(worst <= 1e-4f, $"anchor {worstAt / 4} value {worstAt % 4}: {anchors[worstAt]} vs {expected[worstAt]}");
    }

    [Fact]
    public void Ssd_layout_is_layer_y_x_anchor_with_the_reduced_lowest_layer_first()
    {
        var a = MultipleGridAnchorGenerator.Generate(MultipleGridAnchorOptions.SsdMobileNetV2_300);
        // Cell (0, 0) of the 19x19 layer: (0.1, 1), (0.2, 2), (0.2, 0.5).
        float c = 0.5f / 19;
        AssertAnchor(a, 0, c, c, 0.1f, 0.1f);
        AssertAnchor(a, 1, c, c, 0.2f / MathF.Sqrt(2), 0.2f * MathF.Sqrt(2));
        AssertAnchor(a, 2, c, c, 0.2f * MathF.Sqrt(2), 0.2f / MathF.Sqrt(2));
        // Next cell moves along x.
        AssertAnchor(a, 3, c, 1.5f / 19, 0.1f, 0.1f);
        // The last anchor: the 1x1 layer's interpolated box, sqrt(0.95 * 1).
        AssertAnchor(a, 1916, 0.5f, 0.5f, MathF.Sqrt(0.95f), MathF.Sqrt(0.95f));
    }

    [Fact]
    public void Blazeface_anchors_are_896_unit_boxes_on_16x16_then_8x8_grids()
    {
        var a = MediaPipeSsdAnchorGenerator.Generate(MediaPipeSsdAnchorOptions.BlazeFaceShortRange);
        Assert.Equal(896 * 4, a.Length);
        // Stride 8: 16x16 cells, 2 anchors each (aspect 1 and the interpolated one), same centre.
        AssertAnchor(a, 0, 0.5f / 16, 0.5f / 16, 1, 1);
        AssertAnchor(a, 1, 0.5f / 16, 0.5f / 16, 1, 1);
        AssertAnchor(a, 2, 0.5f / 16, 1.5f / 16, 1, 1);
        AssertAnchor(a, 511, 15.5f / 16, 15.5f / 16, 1, 1);
        // Strides 16, 16, 16 merged: 8x8 cells with 6 anchors each.
        for (int k = 0; k < 6; k++) AssertAnchor(a, 512 + k, 0.5f / 8, 0.5f / 8, 1, 1);
        AssertAnchor(a, 518, 0.5f / 8, 1.5f / 8, 1, 1);
        AssertAnchor(a, 895, 7.5f / 8, 7.5f / 8, 1, 1);
    }

    [Fact]
    public void Mediapipe_generator_without_fixed_size_matches_the_tensorflow_one_on_the_same_grids()
    {
        // Same scales and shapes; strides 16, 32, 64, 100, 150, 300 on 300 give grids 19, 10, 5, 3, 2, 1.
        var mp = MediaPipeSsdAnchorGenerator.Generate(new MediaPipeSsdAnchorOptions
        {
            InputWidth = 300, InputHeight = 300, Strides = [16, 32, 64, 100, 150, 300], MinScale = 0.2, MaxScale = 0.95,
            AspectRatios = [1.0, 2.0, 0.5, 3.0, 1.0 / 3.0], ReduceBoxesInLowestLayer = true,
        });
        var tf = MultipleGridAnchorGenerator.Generate(MultipleGridAnchorOptions.SsdMobileNetV2_300);
        Assert.Equal(tf.Length, mp.Length);
        for (int i = 0; i < tf.Length; i++) Assert.True(Math.Abs(tf[i] - mp[i]) < 1e-6f, $"value {i}: {tf[i]} vs {mp[i]}");
    }

    [Fact]
    public void Invalid_options_are_rejected_with_a_message()
    {
        var e = Assert.Throws<ArgumentException>(() => MultipleGridAnchorGenerator.Generate(new MultipleGridAnchorOptions { FeatureMaps = [(0, 3)] }));
        Assert.Contains("0x3", e.Message);
        Assert.Throws<ArgumentException>(() => MediaPipeSsdAnchorGenerator.Generate(MediaPipeSsdAnchorOptions.BlazeFaceShortRange with { Strides = [8, 0] }));
    }

    private static void AssertAnchor(float[] a, int i, float yc, float xc, float h, float w)
    {
        const float Tol = 1e-5f;
        Assert.True(Math.Abs(a[i * 4] - yc) < Tol && Math.Abs(a[i * 4 + 1] - xc) < Tol && Math.Abs(a[i * 4 + 2] - h) < Tol
            && Math.Abs(a[i * 4 + 3] - w) < Tol,
            $"anchor {i}: ({a[i * 4]}, {a[i * 4 + 1]}, {a[i * 4 + 2]}, {a[i * 4 + 3]}) expected ({yc}, {xc}, {h}, {w})");
    }
}
