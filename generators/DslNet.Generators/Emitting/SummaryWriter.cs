using System.Collections.Generic;
using System.Linq;
using System.Text;
using DslNet.Generators.Model;

namespace DslNet.Generators.Emitting;

/// <summary>
/// Writes the Keras-style summary table (layer, output shape, parameters) known at compile time. Keras' column
/// positions, moved right as far as the longest layer name or shape needs, so the columns stay aligned.
/// </summary>
internal static class SummaryWriter
{
    private const int Width = 65;
    private const int ShapeColumn = 29;
    private const int ParamColumn = 55;

    public static string Write(ModelSpec model)
    {
        var rows = model.Layers.SelectMany(Rows).Select(row => (row.Name, row.Shape, Parameters: Literals.Thousands(row.Parameters))).ToList();
        var shapeColumn = System.Math.Max(ShapeColumn, rows.Select(row => row.Name.Length + 3).DefaultIfEmpty(0).Max());
        var paramColumn = System.Math.Max(ParamColumn - ShapeColumn + shapeColumn, shapeColumn + rows.Select(row => row.Shape.Length + 2).DefaultIfEmpty(0).Max());
        var width = System.Math.Max(Width - ParamColumn + paramColumn, paramColumn + rows.Select(row => row.Parameters.Length).DefaultIfEmpty(0).Max());
        var text = new StringBuilder();
        text.Append("Model: \"").Append(model.Name).Append("\"\n");
        text.Append('_', width).Append('\n');
        Row(text, "Layer (type)", "Output Shape", "Param #", shapeColumn, paramColumn);
        text.Append('=', width).Append('\n');
        foreach (var (name, shape, parameters) in rows)
        {
            Row(text, name, shape, parameters, shapeColumn, paramColumn);
        }

        // Keras' split for the declared state: a frozen layer's weights count as non-trainable.
        var trainable = model.Layers.Sum(layer => layer.Frozen ? 0 : layer.TrainableParameters);
        var nonTrainable = model.Layers.Sum(layer => layer.NonTrainableParameters + (layer.Frozen ? layer.TrainableParameters : 0));
        text.Append('=', width).Append('\n');
        text.Append("Total params: ").Append(Literals.Thousands(trainable + nonTrainable)).Append('\n');
        text.Append("Trainable params: ").Append(Literals.Thousands(trainable)).Append('\n');
        text.Append("Non-trainable params: ").Append(Literals.Thousands(nonTrainable)).Append('\n');
        text.Append('_', width);
        return text.ToString();
    }

    private static IEnumerable<(string Name, string Shape, long Parameters)> Rows(LayerSpec layer) => LayerKinds.Of(layer).SummaryRows(layer);

    private static void Row(StringBuilder text, string name, string shape, string parameters, int shapeColumn, int paramColumn)
    {
        var line = new StringBuilder(" ").Append(name);
        Pad(line, shapeColumn);
        line.Append(shape);
        Pad(line, paramColumn);
        line.Append(parameters);
        text.Append(line).Append('\n');
    }

    private static void Pad(StringBuilder line, int column)
    {
        line.Append(' ', line.Length < column ? column - line.Length : 1);
    }
}
