using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace QuantKernels.Training.Training;

/// <summary>
/// SSD loss: smooth-L1 on the box encodings of positive anchors plus sigmoid focal loss (Lin et al. 2017, alpha 0.25,
/// gamma 2) on every non-ignored anchor and every class column (column 0 learns "background"), both divided by the
/// number of positives.
/// </summary>
public static class DetectionLoss
{
    /// <summary>Returns (total, box, class) losses.</summary>
    public static (Tensor Total, Tensor Box, Tensor Class) Compute(Tensor boxes, Tensor logits, Tensor labels, Tensor targets,
        float alpha = 0.25f, float gamma = 2f)
    {
        using var scope = NewDisposeScope();
        var positive = labels > 0;
        var valid = labels >= 0;
        var numPos = positive.sum().to_type(ScalarType.Float32).clamp_min(1);
        var boxLoss = F.smooth_l1_loss(boxes, targets, reduction: nn.Reduction.None, beta: 1.0).sum(-1);
        boxLoss = (boxLoss * positive).sum() / numPos;
        long classes = logits.shape[2];
        var oneHot = F.one_hot(labels.clamp_min(0), classes).to_type(ScalarType.Float32);
        var p = logits.sigmoid();
        var ce = F.binary_cross_entropy_with_logits(logits, oneHot, reduction: nn.Reduction.None);
        var pt = p * oneHot + (1 - p) * (1 - oneHot);
        var weight = (alpha * oneHot + (1 - alpha) * (1 - oneHot)) * (1 - pt).pow(gamma);
        var classLoss = (ce * weight).sum(-1);
        classLoss = (classLoss * valid).sum() / numPos;
        var total = boxLoss + classLoss;
        return (total.MoveToOuterDisposeScope(), boxLoss.MoveToOuterDisposeScope(), classLoss.MoveToOuterDisposeScope());
    }
}
