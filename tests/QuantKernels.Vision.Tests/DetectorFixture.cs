namespace QuantKernels.Vision.Tests;

/// <summary>The float SSD and BlazeFace detectors, loaded once per test class (loading dequantizes fp16 weights).</summary>
public sealed class DetectorFixture : IDisposable
{
    public const string SsdModel = "object_detection_ssd_mobilenetv2_oidv4_fp16.tflite";
    public const string FaceModel = "face_detection_short_range.tflite";

    private readonly Lazy<Detector> _ssd = new(() => Detector.Load(TestData.Model(SsdModel)));
    private readonly Lazy<Detector> _face = new(() => Detector.Load(TestData.Model(FaceModel)));

    public Detector Ssd => _ssd.Value;
    public Detector Face => _face.Value;

    public void Dispose()
    {
        if (_ssd.IsValueCreated) _ssd.Value.Dispose();
        if (_face.IsValueCreated) _face.Value.Dispose();
    }
}
