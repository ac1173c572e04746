/**
 * The `camel` command: what JBang's CamelJBang.java launcher does, for `java -cp <CLI classpath> Camel.java`.
 * (CamelJBangMain has no main method of its own.)
 */
public class Camel {
    public static void main(String... args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
