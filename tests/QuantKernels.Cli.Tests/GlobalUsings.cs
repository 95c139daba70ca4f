// Every test file uses xunit; the project file is kept identical in shape to the other test projects.
global using Xunit;
global using System.Diagnostics;
