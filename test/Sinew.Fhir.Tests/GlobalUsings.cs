// Hl7.Fhir.Model has a FHIR resource named Task; in these tests Task always means the .NET one.
global using Task = System.Threading.Tasks.Task;
