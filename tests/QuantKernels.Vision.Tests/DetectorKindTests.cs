using QuantKernels.Runtime;
using QuantKernels.Runtime.FlexBuffers;
using QuantKernels.Runtime.Writing;
using QuantKernels.Vision.Preprocessing;
using SixLabors.ImageSharp;

namespace QuantKernels.Vision.Tests;

/// <summary>Model kind recognition, the post-processed path on a hand-built model, overrides and API contracts.</summary>
public class DetectorKindTests(DetectorFixture models) : IClassFixture<DetectorFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qk-detector-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Image [1,1,4,3] reshaped to [1,3,4], fed as both box encodings and class scores (background + 3 classes) of a
    /// TFLite_Detection_PostProcess op over three anchors: the pixels choose the encodings and the scores.
    /// </summary>
    private string PostProcessedModel()
    {
        var w = new TfliteWriter();
        int image = w.AddTensor("image", TensorType.Float32, [1, 1, 4, 3]);
        int shape = w.AddConstant("shape", TensorType.Int32, [3], new int[] { 1, 3, 4 });
        int raw = w.AddTensor("raw", TensorType.Float32, [1, 3, 4]);
        w.AddOperator(tflite.BuiltinOperator.RESHAPE, [image, shape], [raw]);
        int anchors = w.AddConstant("anchors", TensorType.Float32, [3, 4], new float[] { .25f, .25f, .5f, .5f, .75f, .75f, .5f, .5f, .5f, .5f, .2f, .2f });
        int ob = w.AddTensor("boxes", TensorType.Float32, [1, 3, 4]);
        int oc = w.AddTensor("classes", TensorType.Float32, [1, 3]);
        int os = w.AddTensor("scores", TensorType.Float32, [1, 3]);
        int on = w.AddTensor("count", TensorType.Float32, [1]);
        var options = new FlexBufferMapWriter().Int("max_detections", 3).Int("max_classes_per_detection", 1)
            .Int("detections_per_class", 1).Bool("use_regular_nms", false).Float("nms_score_threshold", 0f)
            .Float("nms_iou_threshold", 0.5f).Int("num_classes", 3).Float("y_scale", 10).Float("x_scale", 10)
            .Float("h_scale", 5).Float("w_scale", 5).Build();
        w.AddCustomOperator("TFLite_Detection_PostProcess", [raw, raw, anchors], [ob, oc, os, on], options);
        w.SetInputs(image);
        w.SetOutputs(ob, oc, os, on);
        string path = Path.Combine(_dir, "post.tflite");
        File.WriteAllBytes(path, w.Build());
        return path;
    }

    [Fact]
    public void Post_processed_model_reads_boxes_classes_scores_and_offsets_labels_past_the_background()
    {
        string labels = Path.Combine(_dir, "labels.txt");
        File.WriteAllLines(labels, ["???", "alpha", "beta", "gamma"]);
        using var detector = Detector.Load(PostProcessedModel(), labels,
            new DetectorOptions { Input = new ModelInputSpec { Normalization = InputNormalization.ZeroToOne } });
        Assert.Equal(DetectorKind.PostProcessed, detector.Kind);

        // Anchor 0: encoding (0, 0, 0, 1), class 3 score 1. Anchor 1: encoding (0, 0.8, 0, 0), class 1 score 0.8. Anchor 2: all 0.
        byte[] rgb = [0, 0, 0, 255, 0, 204, 0, 0, 0, 0, 0, 0];
        var found = detector.Detect(rgb, 4, 1);

        Assert.Equal(2, found.Count);
        Assert.Equal(("gamma", 3, 1f), (found[0].Label, found[0].ClassIndex, found[0].Score));
        float halfW = 0.5f * MathF.Exp(1f / 5) * 0.5f;
        AssertBox(new BoundingBox(0, 0, (0.25f + halfW) * 4, 0.5f), found[0].Box);
        Assert.Equal(("alpha", 1), (found[1].Label, found[1].ClassIndex));
        Assert.Equal(0.8f, found[1].Score, 1e-5f);
        AssertBox(new BoundingBox((0.79f - 0.25f) * 4, 0.5f, 4, 1), found[1].Box);
        Assert.Empty(found[0].Keypoints);
    }

    [Fact]
    public void Forcing_a_kind_the_outputs_do_not_fit_is_a_clear_error()
    {
        var e = Assert.Throws<ModelFormatException>(() => Detector.Load(PostProcessedModel(), options: new DetectorOptions { Kind = DetectorKind.BlazeFace }));
        Assert.Contains("not a recognised detection model", e.Message);
        var e2 = Assert.Throws<ModelFormatException>(() => Detector.Load(TestData.Model(DetectorFixture.SsdModel),
            options: new DetectorOptions { Anchors = new float[8] }));
        Assert.Contains("1917", e2.Message);
    }

    [Fact]
    public void Non_detection_and_non_image_models_are_refused()
    {
        var e = Assert.Throws<ModelFormatException>(() => Detector.Load(TestData.Model("mobilenet_v1_0.25_128_quant.tflite")));
        Assert.Contains("not a recognised detection model", e.Message);
        // The coral segment takes feature maps, not an image.
        var e2 = Assert.Throws<ModelFormatException>(() => Detector.Load(TestData.Model("ssd_mobilenet_v2_coco_quant_postprocess_segment_3_of_4_edgetpu.tflite")));
        Assert.Contains("one image input", e2.Message);
        Assert.Throws<FileNotFoundException>(() => Detector.Load(Path.Combine(_dir, "missing.tflite")));
    }

    [Fact]
    public void Raw_buffer_image_and_path_overloads_agree()
    {
        var detector = models.Ssd;
        var byPath = detector.Detect(TestData.Image("person.jpg"));
        Assert.True(detector.LastTiming.DecodeMs > 0 && detector.LastTiming.InferenceMs > 0);
        using var image = detector.LoadImage(TestData.Image("person.jpg"));
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        var byBuffer = detector.Detect(rgb, image.Width, image.Height);
        var byImage = detector.Detect(image);
        Assert.Equal(0, detector.LastTiming.DecodeMs);
        Assert.Equal(byPath.Select(d => (d.Label, d.Score, d.Box)), byBuffer.Select(d => (d.Label, d.Score, d.Box)));
        Assert.Equal(byPath.Select(d => (d.Label, d.Score, d.Box)), byImage.Select(d => (d.Label, d.Score, d.Box)));
        Assert.Throws<ArgumentException>(() => detector.Detect(rgb.AsSpan(1), image.Width, image.Height));
    }

    [Fact]
    public void Labels_are_found_beside_the_model_and_bad_options_are_refused()
    {
        Assert.Equal("???", models.Ssd.Labels[0]);
        Assert.Equal(24, models.Ssd.Labels.Count);
        Assert.Throws<ArgumentException>(() => Detector.Load(TestData.Model(DetectorFixture.FaceModel), options: new DetectorOptions { ScoreThreshold = 2 }));
        Assert.Throws<ArgumentException>(() => Detector.Load(TestData.Model(DetectorFixture.FaceModel), options: new DetectorOptions { IouThreshold = 0 }));
    }

    [Fact]
    public void Letterbox_still_finds_the_face_in_original_pixels()
    {
        using var detector = Detector.Load(TestData.Model(DetectorFixture.FaceModel),
            options: new DetectorOptions { Input = new ModelInputSpec { Resize = ResizeMode.Letterbox } });
        var face = Assert.Single(detector.Detect(TestData.Image("astronaut.png")));
        Assert.True(face.Box.IoU(new BoundingBox(177, 81, 272, 175)) > 0.7f, face.ToString());
    }

    [Fact]
    public void Annotated_image_is_drawn_and_saved()
    {
        var detector = models.Face;
        using var image = detector.LoadImage(TestData.Image("astronaut.png"));
        var found = detector.Detect(image);
        var before = image[200, 81 + 1];
        Drawing.DetectionRenderer.Draw(image, found);
        Assert.NotEqual(before, image[200, 81 + 1]); // top edge of the box
        string png = Path.Combine(_dir, "a.png"), jpg = Path.Combine(_dir, "a.jpg");
        Drawing.DetectionRenderer.Save(image, png);
        Drawing.DetectionRenderer.Save(image, jpg);
        using var back = new ImageLoader().Load(png);
        Assert.Equal(image[200, 82], back[200, 82]);
        Assert.Equal((byte)0xFF, File.ReadAllBytes(jpg)[0]);
    }

    private static void AssertBox(BoundingBox expected, BoundingBox actual)
    {
        Assert.True(Math.Abs(expected.XMin - actual.XMin) < 1e-3 && Math.Abs(expected.YMin - actual.YMin) < 1e-3
            && Math.Abs(expected.XMax - actual.XMax) < 1e-3 && Math.Abs(expected.YMax - actual.YMax) < 1e-3, $"{actual} vs {expected}");
    }
}
